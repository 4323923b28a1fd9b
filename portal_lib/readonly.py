"""Admin classes for records that the portal writes and people only read."""


class ReadOnlyInlineMixin:
    """An inline of rows written elsewhere (answers, audit entries, generated files): shown
    with the record, never added or deleted there. Set ``readonly_fields`` to what is shown."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class WrittenByThePortalMixin:
    """A ``ModelAdmin`` of records only the portal writes (reminders sent, digests owed):
    listed and opened, never added or changed by hand. Deleting is left to permissions."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AuditRecordMixin(WrittenByThePortalMixin):
    """Records kept as evidence (deliveries, audit trails): nobody deletes them either."""

    def has_delete_permission(self, request, obj=None):
        return False
