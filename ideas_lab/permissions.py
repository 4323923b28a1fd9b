"""Who may do what in the laboratory of ideas, built on the private area's rules.

Members of a partner (with an active membership) and the Secretariat use the laboratory; the
public never sees it. A draft, or an idea the Secretariat hid, is seen only by the submitting
partner's members and the Secretariat; views answer 404 for anyone else, so nothing leaks.
"""

from focalpoints.permissions import active_membership, can_use_private_area, is_secretariat


def can_use_laboratory(user):
    return can_use_private_area(user)


def partner_of(user):
    membership = active_membership(user)
    return membership.partner if membership else None


def is_of_submitting_partner(user, idea):
    partner = partner_of(user)
    return partner is not None and partner.pk == idea.partner_id


def can_see_idea(user, idea):
    if is_secretariat(user):
        return True
    if is_of_submitting_partner(user, idea):
        return True
    return can_use_laboratory(user) and not idea.is_draft and not idea.is_hidden


def can_submit_idea(user):
    """Members submit for their partner; the Secretariat edits in the admin and on the pages."""
    return partner_of(user) is not None


def can_edit_idea(user, idea):
    return is_secretariat(user) or is_of_submitting_partner(user, idea)


def can_change_status(user, idea):
    """The submitting partner's members and the Secretariat move a published idea along."""
    return not idea.is_draft and can_edit_idea(user, idea)


def can_comment(user, idea):
    return can_use_laboratory(user) and can_see_idea(user, idea) and idea.accepts_contributions


def can_express_interest(user, idea):
    """Another partner says it wants to take part; a partner does not join its own idea."""
    partner = partner_of(user)
    return partner is not None and partner.pk != idea.partner_id and idea.accepts_contributions


def can_follow(user, idea):
    return can_use_laboratory(user) and can_see_idea(user, idea) and not idea.is_draft


def can_moderate(user):
    return is_secretariat(user)
