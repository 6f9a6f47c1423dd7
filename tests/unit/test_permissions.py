"""The remembered camera and microphone answers: kept per provider and origin, and the file stays readable."""

from __future__ import annotations

from desktop.instance.permissions import PermissionAnswers


def test_a_screen_and_microphone_answer_is_kept_for_the_microphone_and_the_file_reads_back(tmp_path):
    path = tmp_path / "permissions.json"
    answers = PermissionAnswers(path)
    # DesktopAudioVideoCapture needs screen-share and microphone: only the microphone is asked about.
    answers.answer("room", "https://meet.example", {"screen-share", "microphone"}, True)
    again = PermissionAnswers(path)  # a file with a screen-share entry would be ignored whole
    assert again.decision("room", "https://meet.example", {"microphone"}) is True
    assert [a.permission for a in again.all()] == ["microphone"]
    assert again.decision("room", "https://other.example", {"microphone"}) is None


def test_a_refusal_of_either_refuses_both(tmp_path):
    answers = PermissionAnswers(tmp_path / "permissions.json")
    answers.answer("room", "https://meet.example", {"camera"}, True)
    answers.answer("room", "https://meet.example", {"microphone"}, False)
    assert answers.decision("room", "https://meet.example", {"camera", "microphone"}) is False
    answers.forget("room", permission="microphone")
    assert answers.decision("room", "https://meet.example", {"camera", "microphone"}) is None
