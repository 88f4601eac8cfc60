"""WhiteNoise's storage of the collected static files, with each file's address worked out once.

Every page's base template links seven static files, and the manifest storage works each
address out anew on every request (the hashed name, then splitting, joining and unquoting the
URL): about a tenth of a small page's time. The manifest does not change while a process runs
(`collectstatic` comes before the servers start), so an address worked out once holds until
the process ends.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        address = self._addresses.get(name)
        if address is None:
            # A file missing from the manifest raises here, every time: nothing is kept.
            address = self._addresses[name] = super().url(name)
        return address
