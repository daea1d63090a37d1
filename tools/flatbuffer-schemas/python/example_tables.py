"""flatc's classes for upstream's flatbuffer example tables, named as upstream's Python examples
name them (so iceoryx2 finds ``<name>.bfbs`` under the schema path), with what both Python peers
of this repository build and read. Put this directory on ``sys.path`` to import it.
"""

from Example.DataProps import DataProps, DataPropsAddReceivedEntriesLen, DataPropsEnd, DataPropsStart
from Example.Entry import EntryAddData1, EntryAddData2, EntryEnd, EntryStart
from Example.UnboundedData import (
    UnboundedData,
    UnboundedDataAddEntries,
    UnboundedDataAddTitle,
    UnboundedDataEnd,
    UnboundedDataStart,
    UnboundedDataStartEntriesVector,
)

UnboundedData.type_name = staticmethod(lambda: "UnboundedData")  # type: ignore[attr-defined]
DataProps.type_name = staticmethod(lambda: "DataProps")  # type: ignore[attr-defined]

__all__ = ["DataProps", "UnboundedData", "build_data_props", "build_unbounded_data", "entries_of"]


def build_unbounded_data(builder, title: str, entries) -> int:
    """An ``UnboundedData`` root of ``title`` and ``(data_1, data_2)`` entries, in ``builder``."""
    offsets = []
    for data_1, data_2 in entries:
        EntryStart(builder)
        EntryAddData1(builder, data_1)
        EntryAddData2(builder, data_2)
        offsets.append(EntryEnd(builder))
    UnboundedDataStartEntriesVector(builder, len(offsets))
    for offset in reversed(offsets):
        builder.PrependUOffsetTRelative(offset)
    vector = builder.EndVector()
    title_offset = builder.CreateString(title)
    UnboundedDataStart(builder)
    UnboundedDataAddTitle(builder, title_offset)
    UnboundedDataAddEntries(builder, vector)
    return UnboundedDataEnd(builder)


def build_data_props(builder, received_entries_len: int) -> int:
    """A ``DataProps`` root in ``builder``."""
    DataPropsStart(builder)
    DataPropsAddReceivedEntriesLen(builder, received_entries_len)
    return DataPropsEnd(builder)


def entries_of(data) -> list:
    """The ``(data_1, data_2)`` of each entry of a received ``UnboundedData``."""
    return [(data.Entries(j).Data1(), data.Entries(j).Data2()) for j in range(data.EntriesLength())]
