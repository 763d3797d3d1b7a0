#!/usr/bin/env python3
"""Checks finsent's TensorBoard event files with the `tensorboard` package's own readers.

Usage: /opt/ref/bin/python tools/check_event_files.py LOGDIR [--expect-tag TAG ...]

For every events.out.tfevents.* file under LOGDIR it
  1. reads each record with tensorboard's record reader (header and data CRCs checked; any
     DataLossError fails the check) and parses it as an Event proto,
  2. requires the first event to be file_version "brain.Event:2",
loads LOGDIR with EventAccumulator (what `tensorboard --logdir` uses) and compares every scalar
with the scalars.csv copy next to it (same steps, values equal as float32 within one ulp). Exits 1 on any problem.
Never run by the test suite (CI has no Python packages).
"""
import argparse
import csv
import glob
import os
import struct
import sys

from tensorboard.backend.event_processing import event_accumulator
from tensorboard.compat.proto import event_pb2
from tensorboard.compat.tensorflow_stub import errors, pywrap_tensorflow


def read_events(path):
    reader = pywrap_tensorflow.PyRecordReader_New(path, 0, None, None)
    events = []
    while True:
        try:
            reader.GetNext()
        except errors.OutOfRangeError:
            return events
        event = event_pb2.Event()
        event.ParseFromString(reader.record())
        events.append(event)


def f32(x):
    return struct.unpack("<f", struct.pack("<f", float(x)))[0]


def same_f32(event_value, csv_text):
    # The CSV keeps 9 significant digits of the double; rounding that to float32 can land one
    # float32 ulp away from the event file's direct rounding.
    a, b = f32(event_value), f32(csv_text)
    return a == b or abs(a - b) <= 2 * abs(a) * 2.0 ** -24


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("logdir")
    ap.add_argument("--expect-tag", action="append", default=[])
    args = ap.parse_args()

    files = sorted(glob.glob(os.path.join(args.logdir, "events.out.tfevents.*")))
    if not files:
        sys.exit(f"no event files in {args.logdir}")
    total = 0
    for path in files:
        events = read_events(path)  # raises DataLossError on a bad CRC
        if not events or events[0].file_version != "brain.Event:2":
            sys.exit(f"{path}: first event is not file_version brain.Event:2")
        scalars = [e for e in events if e.HasField("summary")]
        total += len(scalars)
        print(f"{os.path.basename(path)}: {len(events)} records, {len(scalars)} scalar events, CRCs ok")

    acc = event_accumulator.EventAccumulator(args.logdir, size_guidance={event_accumulator.SCALARS: 0})
    acc.Reload()
    tags = acc.Tags()["scalars"]
    from_tb = {(tag, ev.step): ev.value for tag in tags for ev in acc.Scalars(tag)}
    print(f"EventAccumulator: {len(tags)} tags: {', '.join(sorted(tags))}")
    for tag in args.expect_tag:
        if tag not in tags:
            sys.exit(f"expected tag {tag!r} missing")

    csv_path = os.path.join(args.logdir, "scalars.csv")
    if os.path.exists(csv_path):
        with open(csv_path, newline="") as f:
            rows = list(csv.DictReader(f))
        mismatches = 0
        for row in rows:
            key = (row["tag"], int(row["step"]))
            if key not in from_tb:
                print(f"scalars.csv {key} missing from the event files")
                mismatches += 1
            elif not same_f32(from_tb[key], row["value"]):
                # A resumed run may log a step twice; the accumulator keeps the last one.
                later = [r for r in rows if (r["tag"], int(r["step"])) == key]
                if not same_f32(from_tb[key], later[-1]["value"]):
                    print(f"{key}: event {from_tb[key]} != csv {row['value']}")
                    mismatches += 1
        if mismatches:
            sys.exit(f"{mismatches} mismatches between event files and scalars.csv")
        print(f"scalars.csv: {len(rows)} rows agree with the event files")
    print("ok")


if __name__ == "__main__":
    main()
