"""Memory does not grow with the corpus only if no stage boundary (where
the in-process runner holds a whole PCollection) falls between reading an
article and writing its records. These tests read the runner's own plan."""
from __future__ import annotations

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.runners.portability.fn_api_runner import fn_runner

from tidings.pipelines.ingest import build_pipeline
from tidings.pipelines.options import check_options


def _stages(examples_dir, tmp_path, known=frozenset()):
    options = PipelineOptions(["--input", str(examples_dir / "articles"),
                               "--metadata", str(examples_dir / "metadata.csv"),
                               "--output", str(tmp_path / "out")])
    check_options(options)
    pipeline = beam.Pipeline(runner=fn_runner.FnApiRunner(), options=options)
    build_pipeline(pipeline, options, "plan", known)
    stages = fn_runner.FnApiRunner().create_stages(pipeline.to_runner_api())[1]
    return [{t.unique_name for t in stage.transforms} for stage in stages]


def _stage_of(stages, suffix):
    found = [i for i, names in enumerate(stages) if any(n.endswith(suffix) for n in names)]
    assert len(found) == 1, (suffix, found)
    return found[0]


def test_reading_annotating_and_writing_records_share_one_stage(examples_dir, tmp_path):
    for known in (frozenset(), frozenset({"0" * 20})):      # incremental runs too
        stages = _stages(examples_dir, tmp_path, known)
        streamed = _stage_of(stages, "ReadArticles/Read/ParDo(_ReadSplit)")
        assert _stage_of(stages, "TagArticles/Tag/ParDo(TagBatch)") == streamed
        for dataset in ("Articles", "Sentences", "Claims", "Events", "Agreements"):
            assert _stage_of(stages, f"WriteDatasets/Write{dataset}/ParDo(WriteShards)") \
                == streamed, dataset


def test_the_duplicate_pass_only_groups_packed_ids(examples_dir, tmp_path):
    stages = _stages(examples_dir, tmp_path)
    index = _stage_of(stages, "ReadArticles/ReadForDuplicates/ParDo(_ReadSplit)")
    # what leaves the index pass is (id, (preference, place)), combined in
    # the worker into one packed index per key before it is grouped
    for step in ("IdAndPlace", "FindCopies/Precombine", "FindCopies/Group/Write"):
        assert any(n.endswith(f"ReadArticles/{step}") for n in stages[index]), step


def test_files_reach_the_readers_only_in_packed_batches(examples_dir, tmp_path):
    stages = _stages(examples_dir, tmp_path)
    listing = _stage_of(stages, "ReadArticles/List/ParDo(ListInputs)")
    # listing, planning and batching run together; the shuffles that spread
    # the batches over the workers are the only way out of that stage
    assert _stage_of(stages, "ReadArticles/Batch") == listing
    assert _stage_of(stages, "ReadArticles/Plan/ParDo(_PlanReads)") == listing
    for label in ("ForDuplicates", ""):
        reader = _stage_of(stages, f"ReadArticles/Read{label}/ParDo(_ReadSplit)")
        assert _stage_of(stages, f"ReadArticles/Unpack{label}") == reader != listing
