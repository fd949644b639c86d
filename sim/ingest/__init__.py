"""Official timing exports in: Al Kamel Systems classification CSVs -> the results table.

`ingest_exports` (the API of `sim ingest`, docs/ingest.md) reads race and qualifying classifications of
ACO series and IMSA into one results table (`sim.results`); `entry_list_from_results` turns a results table
into an entry list for a "from here" scenario, `entry_list_yaml` writes it. Bad exports raise
`sim.errors.InputError` naming the file and the row or column.

Modules: `export_file` (one CSV read defensively), `values` (times, laps, statuses, ratings),
`classification` (race and qualifying rows per car), `crews` (drivers' names and ratings across exports),
`results_table` (a season's exports -> the table), `entry_list` (the table -> an entry list).
"""

from sim.ingest.entry_list import entry_list_from_results, entry_list_yaml
from sim.ingest.results_table import Ingested, PoleOverride, ingest_exports

__all__ = ["Ingested", "PoleOverride", "entry_list_from_results", "entry_list_yaml", "ingest_exports"]
