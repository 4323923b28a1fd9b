"""Where document files are kept: outside the public media root, served only through views."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.functional import cached_property


class PrivateFileSystemStorage(FileSystemStorage):
    """Files under ``settings.PRIVATE_MEDIA_ROOT``, which no web server publishes.

    The folder is read from the settings when first used (and again when they change), so the
    storage can be chosen when the models load and still follow the settings of each process.
    """

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


def document_storage():
    """The ``documents`` entry of ``settings.STORAGES``: a private folder, or S3-style storage."""
    return storages["documents"]
