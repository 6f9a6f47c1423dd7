"""The proxy of all of Portico's traffic (pages and sign-in requests): Qt WebEngine's proxy is process-wide."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtNetwork import QNetworkProxy, QNetworkProxyFactory

from desktop.config import NETWORK_ID, NetworkConfig
from desktop.secret import Secret

log = logging.getLogger("portico.network")

#: The keyring field of the proxy's password (``network/proxy_password``).
PROXY_PASSWORD: tuple[str, str] = (NETWORK_ID, "proxy_password")


def apply_proxy(network: NetworkConfig, get_secret: Callable[[str, str], Secret | None]) -> str:
    """Set the proxy before the first profile exists (Qt WebEngine hands the application proxy to
    Chromium for every profile; changing it later is not guaranteed to reach pages already
    loaded). Returns "" or a problem to show the user (a missing proxy password).

    - ``system``: Chromium reads the desktop's settings (GNOME/KDE, ``http_proxy`` …) for pages;
      the sign-in requests (Qt Network) use Qt's reading of the same (``http_proxy`` …).
    - ``none``: direct connections for both.
    - a URL: both go through it; a proxy user's password comes from the keyring.

    Loopback addresses are never proxied by Chromium (the demo's simulators stay reachable).
    """
    if network.proxy == "system":
        QNetworkProxyFactory.setUseSystemConfiguration(True)
        QNetworkProxy.setApplicationProxy(QNetworkProxy(QNetworkProxy.ProxyType.DefaultProxy))
        return ""
    QNetworkProxyFactory.setUseSystemConfiguration(False)
    if network.proxy == "none":
        QNetworkProxy.setApplicationProxy(QNetworkProxy(QNetworkProxy.ProxyType.NoProxy))
        log.info("no proxy: direct connections")
        return ""
    kind = QNetworkProxy.ProxyType.HttpProxy if network.scheme == "http" else QNetworkProxy.ProxyType.Socks5Proxy
    proxy = QNetworkProxy(kind, network.host, network.port)
    problem = ""
    if network.proxy_user:
        proxy.setUser(network.proxy_user)
        password = get_secret(*PROXY_PASSWORD)
        if password is None:
            problem = (f"The proxy {network.host}:{network.port} asks for a password, and none is stored: run "
                       f"`portico credentials set {NETWORK_ID} proxy_password`.")
        else:
            proxy.setPassword(password.reveal())
    QNetworkProxy.setApplicationProxy(proxy)
    log.info("proxy: %s://%s:%d%s", network.scheme, network.host, network.port,
             f" as {network.proxy_user}" if network.proxy_user else "")
    return problem
