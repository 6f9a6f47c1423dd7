"""Provider kinds: what each embedded web app declares and how its messages parse."""
