"""Monte Carlo studies: many seasons of a scenario through any executor, aggregated as a stream."""

from sim.montecarlo.aggregate import Aggregate, aggregate_chunk
from sim.montecarlo.kernel import ChunkTables, CompetitorKey, SeasonKernel, StudyLayout, TitleLayout
from sim.montecarlo.runner import StudyInterrupted, StudyResult, run_study
from sim.montecarlo.scenario_kernel import ScenarioKernel, study_layout
from sim.montecarlo.summary import summary_frames

__all__ = ["Aggregate", "ChunkTables", "CompetitorKey", "ScenarioKernel", "SeasonKernel", "StudyInterrupted",
           "StudyLayout", "StudyResult", "TitleLayout", "aggregate_chunk", "run_study", "study_layout", "summary_frames"]
