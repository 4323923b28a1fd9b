"""The one exception a process raises when it refuses: views turn it into a message."""


class ActionRefused(Exception):
    """The action cannot be done by this person in the current state; the message says why, in
    words the person can act on. Views and the admin show it as a message, never as an error."""
