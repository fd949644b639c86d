"""Monte Carlo studies: many seasons of a scenario through any executor, aggregated as a stream."""

from sim.montecarlo.aggregate import Aggregate, aggregate_chunk, summary_frames
from sim.montecarlo.kernel import ChunkTables, CompetitorKey, SeasonKernel, StudyLayout, TitleLayout
from sim.montecarlo.runner import StudyInterrupted, StudyResult, run_study
from sim.montecarlo.study import run_montecarlo_command, run_paired_command

__all__ = ["Aggregate", "ChunkTables", "CompetitorKey", "SeasonKernel", "StudyInterrupted", "StudyLayout",
           "StudyResult", "TitleLayout", "aggregate_chunk", "run_montecarlo_command", "run_paired_command",
           "run_study", "summary_frames"]
