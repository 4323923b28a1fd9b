from allauth.account.adapter import DefaultAccountAdapter


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """Nobody signs up: the Secretariat invites each person (see ``focalpoints.services``)."""

    def is_open_for_signup(self, request):
        return False
