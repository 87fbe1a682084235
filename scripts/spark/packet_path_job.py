"""packet-path on Spark: flow logs (gzip text or Parquet) and captures, partitioned by file.

    spark-submit scripts/spark/packet_path_job.py \
        --binary .build/release/packet-path --topology Scenarios/seed/before.yaml \
        --output OUT  INPUT...

INPUT is a file or folder, local or an object-storage URL Spark reads (s3a://, gs://, abfs://):
flow log text (.log, .log.gz, .txt, .json: S3 delivery files carry their format in their first
line; --log-format gives it for the others), pcap/pcapng captures (by content), or with --parquet
flow logs in Parquet (AWS's Parquet delivery: one column per field, '-' replaced by '_').

Each Spark task runs the packet-path binary (shipped to the executors with the job) on its share
of the files, writing the per-record results and a summary document. The driver adds the
summaries up with `packet-path merge` (associative: the same as one run over every file, since
connection state does not cross files) and writes

    OUT/summary.json    the merged summary document (what `replay --format summary-json` gives)
    OUT/records/KIND/   the per-record results as Parquet, one file per task and kind (flow-log,
                        capture): the CSV columns, or with --records full the JSONL keys with hops

Damaged inputs are reported on standard error as packet-path reports them; their other records
are kept, and the job exits with status 65. See docs/scale.md.
"""

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid

from pyspark import SparkFiles
from pyspark.sql import SparkSession

FLOW_LOG_SUFFIXES = (".log", ".log.gz", ".txt", ".json")
CAPTURE_SUFFIXES = (".pcap", ".pcapng", ".cap")
CAPTURE_MAGICS = (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d", b"\x0a\x0d\x0d\x0a")
# packet-path's exit status for damaged input: the rest of the input was still judged.
BAD_INPUT = 65


def record_schema():
    """The per-record results' columns: `replay --format jsonl`'s keys for captures and flow logs
    (docs/cli.md), every one nullable, so that every task's Parquet file has the same schema."""
    import pyarrow as pa

    hop = pa.struct([("kind", pa.string()), ("id", pa.string()), ("name", pa.string()), ("detail", pa.string()), ("passed", pa.bool_())])
    return pa.schema([
        ("file", pa.string()), ("record", pa.int64()), ("capture", pa.string()), ("frame", pa.int64()), ("time", pa.string()),
        ("src", pa.string()), ("dst", pa.string()), ("protocol", pa.string()), ("srcPort", pa.int64()), ("dstPort", pa.int64()),
        ("icmpType", pa.int64()), ("icmpCode", pa.int64()), ("interface", pa.string()), ("packets", pa.int64()), ("length", pa.int64()),
        ("logStatus", pa.string()), ("verdict", pa.string()), ("reason", pa.string()), ("observedAction", pa.string()),
        ("observedPath", pa.int64()), ("agree", pa.bool_()), ("flow", pa.string()), ("path", pa.list_(hop)), ("notes", pa.list_(pa.string())),
    ])


BRIEF_TYPES = {"record": "int64", "frame": "int64", "srcPort": "int64", "dstPort": "int64", "observedPath": "int64", "agree": "bool_"}


def brief_table(text, names, capture):
    """A replay's CSV output as a table, its file or capture column naming the inputs as given."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    table = pacsv.read_csv(
        io.BytesIO(text), convert_options=pacsv.ConvertOptions(
            column_types={key: getattr(pa, kind)() for key, kind in BRIEF_TYPES.items()}, strings_can_be_null=True))
    for column in ("file", "capture"):
        if column in table.column_names:
            values = table.column(column)
            for local, path in names.items():
                values = pc.replace_substring(values, local, path)
            table = table.set_column(table.column_names.index(column), column, values)
    if capture is not None:
        table = table.append_column("capture", pa.array([capture] * table.num_rows, pa.string()))
    return table


def full_table(text, names, capture):
    """A replay's JSONL output as a table (``record_schema``), named as ``brief_table`` does."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.json as pajson

    table = pajson.read_json(
        io.BytesIO(text), parse_options=pajson.ParseOptions(explicit_schema=record_schema(), unexpected_field_behavior="ignore"))
    for column in ("file", "capture"):
        values = table.column(column)
        for local, path in names.items():
            values = pc.replace_substring(values, local, path)
        if column == "capture" and capture is not None:
            values = pa.array([capture] * table.num_rows, pa.string())
        table = table.set_column(table.column_names.index(column), column, values)
    return table


def write_records(table, output, kind):
    """Writes a table as one Parquet file under OUTPUT/records/KIND/ (local, or object storage
    through pyarrow's file systems: s3://, gs://, hdfs://; s3a:// is read as s3://); returns the rows."""
    import pyarrow.parquet as pq
    from pyarrow import fs

    if table.num_rows == 0:
        return 0
    target = output.rstrip("/") + "/records/%s/part-%s.parquet" % (kind, uuid.uuid4().hex)
    if "://" in target:
        filesystem, path = fs.FileSystem.from_uri(target.replace("s3a://", "s3://", 1))
    else:
        filesystem, path = fs.LocalFileSystem(), os.path.abspath(target)
    filesystem.create_dir(os.path.dirname(path), recursive=True)
    pq.write_table(table, path, filesystem=filesystem)
    return table.num_rows


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", required=True, help="the packet-path binary (built for the executors' platform)")
    parser.add_argument("--topology", required=True, help="a scenario file or snapshot folder (local)")
    parser.add_argument("--ip-ranges", help="AWS's ip-ranges.json (local)")
    parser.add_argument("--log-format", help="the flow logs' format, for files without a header line")
    parser.add_argument("--parquet", action="store_true", help="the inputs are flow logs in Parquet")
    parser.add_argument("--records", choices=("brief", "full"), default="brief",
                        help="per-record results: brief, the CSV columns (default); full, the JSONL keys with every hop")
    parser.add_argument("--partitions", type=int, default=0, help="tasks to split the files into (default: Spark's parallelism)")
    parser.add_argument("--output", required=True, help="the output folder (local or object storage)")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace the results of an earlier run in OUTPUT (its summary.json and records/part-*.parquet only)")
    parser.add_argument("inputs", nargs="+")
    return parser.parse_args(argv)


def is_capture(data):
    return data[:4] in CAPTURE_MAGICS


def run_packet_path(binary, topology, ip_ranges, log_format, kind, paths, work, records):
    """Runs one replay over `paths`; returns (its per-record output: CSV for brief records, JSONL
    for full ones; the summary document's text; problems)."""
    summary = os.path.join(work, "summary-%s.json" % kind)
    output = "csv" if records == "brief" else "jsonl"
    command = [binary, "replay", "--topology", topology, "--format", output, "--summary-output", summary, "--jobs", "1"]
    if ip_ranges:
        command += ["--ip-ranges", ip_ranges]
    if kind == "flow-log":
        command += ["--input", "flow-log"]
        if log_format:
            command += ["--log-format", log_format]
    else:
        command += ["--input", "capture"]
    completed = subprocess.run(command + paths, capture_output=True)
    problems = completed.stderr.decode("utf-8", "replace")
    if completed.returncode not in (0, BAD_INPUT) or not os.path.exists(summary):
        raise RuntimeError("packet-path exited %d: %s" % (completed.returncode, problems))
    with open(summary) as handle:
        return completed.stdout, handle.read(), problems


def replay_partition(settings, files):
    """One task: writes its files to a work folder, replays flow logs and captures apart (a
    replay takes one kind), writes the records as a Parquet file of the output, and yields
    ('summary' | 'problem', text) and ('records', count)."""
    binary = SparkFiles.get(os.path.basename(settings["binary"]))
    os.chmod(binary, 0o755)
    topology = SparkFiles.get(os.path.basename(settings["topology"].rstrip("/")))
    ip_ranges = SparkFiles.get(os.path.basename(settings["ip_ranges"])) if settings["ip_ranges"] else None
    work = tempfile.mkdtemp(prefix="packet-path-")
    try:
        by_kind = {"flow-log": [], "capture": []}
        for number, (path, data) in enumerate(files):
            # The file's own name is kept (its suffix tells gzip and text apart for people
            # reading problems); the number keeps names unique.
            local = os.path.join(work, "%06d-%s" % (number, os.path.basename(path)))
            with open(local, "wb") as handle:
                handle.write(data)
            by_kind["capture" if is_capture(data) else "flow-log"].append((path, local))
        for kind, entries in by_kind.items():
            if not entries:
                continue
            names = {local: path for path, local in entries}
            text, summary, problems = run_packet_path(
                binary, topology, ip_ranges, settings["log_format"], kind, [local for _, local in entries], work, settings["records"])
            # Name the inputs as the user gave them, not the task's copies; a replay of one capture
            # does not name it, so its column is added.
            capture = entries[0][0] if kind == "capture" and len(entries) == 1 else None
            make = brief_table if settings["records"] == "brief" else full_table
            yield ("records", write_records(make(text, names, capture), settings["output"], kind))
            yield ("summary", summary)
            for local, path in names.items():
                problems = problems.replace(local, path)
            if problems.strip():
                yield ("problem", problems)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def parquet_as_text(spark, inputs, work_prefix):
    """AWS's Parquet flow logs as S3-style text files, one per Parquet file: a header line of
    field names ('_' back to '-'), then one record per row, '-' for nulls."""
    frame = spark.read.parquet(*inputs)
    fields = [column for column in frame.columns]
    from pyspark.sql import functions

    frame = frame.withColumn("_file", functions.input_file_name())

    def to_text(rows):
        grouped = {}
        for row in rows:
            values = ["-" if row[field] is None else str(row[field]) for field in fields]
            grouped.setdefault(row["_file"], []).append(" ".join(values))
        header = " ".join(field.replace("_", "-") for field in fields)
        for path, lines in grouped.items():
            yield (path + ".txt", ("\n".join([header] + lines) + "\n").encode("utf-8"))

    return frame.rdd.mapPartitions(to_text)


def prepare_output(output, overwrite):
    """Refuses to mix this run's results with an earlier run's: OUTPUT/summary.json or Parquet parts
    under OUTPUT/records/ end the job unless --overwrite, which removes those files and nothing else."""
    from pyarrow import fs

    root = output.rstrip("/")
    if "://" in root:
        filesystem, base = fs.FileSystem.from_uri(root.replace("s3a://", "s3://", 1))
    else:
        filesystem, base = fs.LocalFileSystem(), os.path.abspath(root)
    earlier = [info.path for info in filesystem.get_file_info([base + "/summary.json"]) if info.type != fs.FileType.NotFound]
    records = filesystem.get_file_info(fs.FileSelector(base + "/records", allow_not_found=True, recursive=True))
    earlier += [info.path for info in records if os.path.basename(info.path).startswith("part-") and info.path.endswith(".parquet")]
    if earlier and not overwrite:
        sys.exit("packet-path job: %s holds an earlier run's results (%s%s); give --overwrite to replace them, or another --output"
                 % (output, earlier[0], " and %d more" % (len(earlier) - 1) if len(earlier) > 1 else ""))
    for path in earlier:
        filesystem.delete_file(path)


def main(argv):
    arguments = parse_arguments(argv)
    prepare_output(arguments.output, arguments.overwrite)
    spark = SparkSession.builder.appName("packet-path").getOrCreate()
    context = spark.sparkContext
    # Folders are read whole, with their S3 AWSLogs/ACCOUNT/vpcflowlogs/REGION/YYYY/MM/DD/ tree.
    context._jsc.hadoopConfiguration().set("mapreduce.input.fileinputformat.input.dir.recursive", "true")
    context.addFile(arguments.binary)
    context.addFile(arguments.topology, recursive=os.path.isdir(arguments.topology))
    if arguments.ip_ranges:
        context.addFile(arguments.ip_ranges)
    settings = {
        "binary": arguments.binary,
        "topology": arguments.topology,
        "ip_ranges": arguments.ip_ranges,
        "log_format": arguments.log_format,
        "output": arguments.output,
        "records": arguments.records,
    }
    if arguments.parquet:
        files = parquet_as_text(spark, arguments.inputs, arguments.output)
    else:
        files = context.binaryFiles(",".join(arguments.inputs)).filter(
            lambda item: item[0].endswith(FLOW_LOG_SUFFIXES + CAPTURE_SUFFIXES))
    # A file is the unit of work: connection state does not cross files, so any split is exact.
    files = files.sortByKey()
    partitions = arguments.partitions or context.defaultParallelism
    files = files.repartition(partitions)
    # Replayed once; the three kinds of result are read from the cache.
    results = files.mapPartitions(lambda part: replay_partition(settings, part)).cache()

    summaries = results.filter(lambda item: item[0] == "summary").map(lambda item: item[1]).collect()
    problems = results.filter(lambda item: item[0] == "problem").map(lambda item: item[1]).collect()
    written = results.filter(lambda item: item[0] == "records").map(lambda item: item[1]).sum()

    work = tempfile.mkdtemp(prefix="packet-path-merge-")
    try:
        paths = []
        for number, text in enumerate(summaries):
            path = os.path.join(work, "part-%05d.json" % number)
            with open(path, "w") as handle:
                handle.write(text)
            paths.append(path)
        merged = subprocess.run([arguments.binary, "merge"] + paths, capture_output=True, check=True).stdout
    finally:
        shutil.rmtree(work, ignore_errors=True)
    summary_path = arguments.output.rstrip("/") + "/summary.json"
    if "://" in summary_path:
        context.parallelize([merged.decode("utf-8").rstrip("\n")], 1).saveAsTextFile(summary_path)
    else:
        os.makedirs(arguments.output, exist_ok=True)
        with open(summary_path, "wb") as handle:
            handle.write(merged)
    for text in problems:
        sys.stderr.write(text)
    sys.stderr.write("packet-path job: %d records written under %s/records\n" % (written, arguments.output.rstrip("/")))
    spark.stop()
    return BAD_INPUT if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
