"""Values made once and kept per process, the least recently used dropped first.

For markup that is a pure function of its key: whatever the key names is all the value
depends on, so a kept value can never be stale, only dropped. Thread-safe; making a value
happens outside the lock, so two requests may make the same one at once (both are equal).
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class Kept[V]:
    def __init__(self, size: int):
        self.size = size
        self._values: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept under `key`, made by `make()` and kept if there is none."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = make()
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
