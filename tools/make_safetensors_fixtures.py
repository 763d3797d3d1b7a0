#!/usr/bin/env python3
"""Writes the checkpoint-I/O test fixtures under tests/fixtures/io/ with the reference stack.

Run with the reference environment (tools/reference-env.sh), never from the test suite:
    /opt/ref/bin/python tools/make_safetensors_fixtures.py
Every malformed file is also fed to the reference reader; the manifest records whether the
reference rejects it, so the C++ tests can state where finsent is stricter.
"""
import collections
import io
import json
import os
import struct
import zipfile

import torch
from safetensors.torch import load as st_load
from safetensors.torch import save_file

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "io")


def out(*parts):
    path = os.path.join(ROOT, *parts)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return path


def arange(n, dtype):
    """Deterministic values the C++ tests recompute: i*0.5-3 for floats, i%7 for bools, i-5 for ints."""
    i = torch.arange(n, dtype=torch.float64)
    if dtype.is_floating_point:
        return (i * 0.5 - 3).to(dtype)
    if dtype == torch.bool:
        return (i.to(torch.int64) % 7 == 0)
    if dtype in (torch.uint8, torch.uint16, torch.uint32, torch.uint64):
        return i.to(torch.int64).to(dtype)
    return (i - 5).to(torch.int64).to(dtype)


def multi_dtype_tensors():
    specs = [
        ("w.f32", torch.float32, (2, 3)),
        ("w.f16", torch.float16, (5,)),
        ("w.bf16", torch.bfloat16, (3,)),
        ("w.f64", torch.float64, (2, 2)),
        ("w.i64", torch.int64, (4,)),
        ("w.i32", torch.int32, (3,)),
        ("w.i16", torch.int16, (3,)),
        ("w.i8", torch.int8, (3,)),
        ("w.u8", torch.uint8, (7,)),
        ("w.bool", torch.bool, (9,)),
        ("w.u16", torch.uint16, (2,)),
        ("w.u32", torch.uint32, (2,)),
        ("w.u64", torch.uint64, (2,)),
        ("a.scalar", torch.float32, ()),
        ("b.empty", torch.float32, (0, 4)),
        ("c.also_f32", torch.float32, (1, 1, 2)),
    ]
    tensors = {}
    for name, dtype, shape in specs:
        n = 1
        for d in shape:
            n *= d
        tensors[name] = arange(n, dtype).reshape(shape)
    return tensors


def header_file(header, data=b"", pad=False):
    """A safetensors file from a header string as written (no padding unless asked)."""
    h = header.encode("utf-8") if isinstance(header, str) else header
    if pad:
        h += b" " * ((8 - len(h) % 8) % 8)
    return struct.pack("<Q", len(h)) + h + data


def reference_verdict(blob):
    try:
        st_load(blob)
        return "accepts"
    except Exception as e:  # noqa: BLE001 - any refusal counts
        return "rejects: " + str(e).splitlines()[0][:160]


def write_valid():
    tensors = multi_dtype_tensors()
    save_file(tensors, out("valid", "multi_dtype.safetensors"), metadata={"format": "pt"})
    with open(out("valid", "multi_dtype.safetensors"), "rb") as f:
        back = st_load(f.read())
    assert back.keys() == tensors.keys() and all(torch.equal(back[k], tensors[k]) for k in tensors)
    assert len({t.dtype for t in tensors.values()}) >= 5, "the multi-dtype file lost its dtypes"
    # Same tensors without metadata: the byte-identical writer test uses both.
    save_file(tensors, out("valid", "multi_dtype_nometa.safetensors"))
    # An old-style file: header not padded, so tensor data is not 8-byte aligned.
    t = torch.tensor([1.5, -2.0, 3.25], dtype=torch.float32)
    d = torch.tensor([7, -8], dtype=torch.int64)
    header = json.dumps({"x": {"dtype": "I64", "shape": [2], "data_offsets": [0, 16]},
                         "y": {"dtype": "F32", "shape": [3], "data_offsets": [16, 28]}},
                        separators=(",", ":"))
    assert (len(header) + 8) % 8 != 0, "must be unaligned"
    blob = header_file(header, d.numpy().tobytes() + t.numpy().tobytes())
    assert reference_verdict(blob) == "accepts"
    with open(out("valid", "unaligned_old_style.safetensors"), "wb") as f:
        f.write(blob)
    # Unicode names and metadata, written by the reference.
    save_file({"émbed.ü": torch.ones(2)}, out("valid", "unicode.safetensors"),
              metadata={"note": "naïve → ok"})


F32x1 = '"dtype":"F32","shape":[1]'


def ent(name, dtype="F32", shape=(1,), offsets=(0, 4), extra=""):
    return '"%s":{"dtype":"%s","shape":%s,"data_offsets":[%d,%d]%s}' % (
        name, dtype, json.dumps(list(shape)), offsets[0], offsets[1], extra)


def write_malformed():
    z4 = b"\0" * 4
    cases = {
        "empty_file": (b"", "needs at least an 8-byte header length"),
        "seven_bytes": (b"\x02\0\0\0\0\0\0", "needs at least an 8-byte header length"),
        "header_too_big": (struct.pack("<Q", 100_000_001) + b"{}", "exceeds the limit"),
        "header_len_huge": (struct.pack("<Q", 2**64 - 1) + b"{}", "exceeds the limit"),
        "header_past_eof": (struct.pack("<Q", 64) + b"{}", "runs past the end of the file"),
        "bad_json": (header_file('{"a":{"dtype":"F32",', b""), "not valid JSON"),
        "not_utf8": (header_file(b'{"a\xff":{' + F32x1.encode() + b',"data_offsets":[0,4]}}', z4),
                     "not valid UTF-8"),
        "top_array": (header_file("[]"), "must be a JSON object"),
        "trailing_nul_in_header": (header_file("{" + ent("a") + "}\0", z4), "not valid JSON"),
        "unknown_dtype": (header_file("{" + ent("a", dtype="F33") + "}", z4), "unknown dtype"),
        "lowercase_dtype": (header_file("{" + ent("a", dtype="f32") + "}", z4), "unknown dtype"),
        "negative_dim": (header_file('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', z4),
                         "is negative"),
        "float_dim": (header_file('{"a":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}}', z4),
                      "must be a non-negative integer"),
        "missing_shape": (header_file('{"a":{"dtype":"F32","data_offsets":[0,4]}}', z4),
                          "missing field 'shape'"),
        "three_offsets": (header_file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4,4]}}', z4),
                          "data_offsets must be an array [begin, end]"),
        "entry_not_object": (header_file('{"a":5}'), "expected an object"),
        "wrong_dtype_size": (header_file("{" + ent("a", dtype="F64") + "}", z4),
                             "hold 4 bytes but shape [1] of F64 needs 8"),
        "shape_mismatch": (header_file("{" + ent("a", shape=(2,)) + "}", z4),
                           "needs 8"),
        "shape_overflow": (header_file("{" + ent("a", shape=(2**32, 2**32, 2)) + "}", z4),
                           "overflows 64-bit byte size"),
        "overlapping": (header_file("{" + ent("a", offsets=(0, 4)) + "," + ent("b", offsets=(2, 6)) + "}",
                                    b"\0" * 6), "overlaps the previous tensor"),
        "gap": (header_file("{" + ent("a", offsets=(0, 4)) + "," + ent("b", offsets=(8, 12)) + "}",
                            b"\0" * 12), "leaves a gap"),
        "not_from_zero": (header_file("{" + ent("a", offsets=(4, 8)) + "}", b"\0" * 8),
                          "leaves a gap"),
        "end_before_begin": (header_file("{" + ent("a", offsets=(4, 0)) + "}", b"\0" * 4),
                             "ends before it begins"),
        "offsets_past_eof": (header_file("{" + ent("a", offsets=(0, 4)) + "," + ent("b", offsets=(4, 8)) + "}",
                                         z4), "past the end of the file"),
        "trailing_bytes": (header_file("{" + ent("a") + "}", z4 + b"junk"), "4 trailing bytes"),
        "trailing_bytes_no_tensors": (header_file("{}", b"x"), "1 trailing bytes"),
        "duplicate_name_same_range": (header_file("{" + ent("a") + "," + ent("a") + "}", z4),
                                      "duplicate tensor name 'a'"),
        "duplicate_name_two_ranges": (header_file("{" + ent("a") + "," + ent("a", offsets=(4, 8)) + "}",
                                                  b"\0" * 8), "duplicate tensor name 'a'"),
        "duplicate_field": (header_file('{"a":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}', z4),
                            "duplicate field 'dtype'"),
        "metadata_not_string": (header_file('{"__metadata__":{"k":1},' + ent("a") + "}", z4),
                                "must map to a string"),
        "metadata_array": (header_file('{"__metadata__":["k"],' + ent("a") + "}", z4),
                           "__metadata__ must be an object"),
        "metadata_duplicate_key": (header_file('{"__metadata__":{"k":"a","k":"b"},' + ent("a") + "}", z4),
                                   "duplicate __metadata__ key 'k'"),
        "number_overflow": (header_file('{"a":{"dtype":"F32","shape":[9E3774],"data_offsets":[0,4]}}', z4),
                            "not valid JSON"),
        "deep_nesting": (header_file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":' +
                                     "[" * 100 + "]" * 100 + "}}", z4), "nested more than"),
    }
    manifest = {}
    for name, (blob, expect) in cases.items():
        with open(out("malformed", name + ".safetensors"), "wb") as f:
            f.write(blob)
        manifest[name] = {"expect": expect, "reference": reference_verdict(blob)}
    with open(out("malformed", "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")


def write_pytorch_bin():
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4) * 0.25
    sd = collections.OrderedDict()
    sd["dense.weight"] = base
    sd["tied.weight"] = base                         # same storage as dense.weight
    sd["dense.bias"] = torch.tensor([1.0, -1.0, 0.5])
    sd["transposed"] = base.t()                      # non-contiguous view of the same storage
    sd["row"] = base[1]                              # view with a storage offset
    sd["ids"] = torch.tensor([[0, 1, 2], [3, 4, 5]], dtype=torch.int64)
    sd["half"] = torch.tensor([0.5, 2.0], dtype=torch.float16)
    sd["flag"] = torch.tensor([True, False, True])
    sd["scalar"] = torch.tensor(3.5, dtype=torch.float64)
    sd["param"] = torch.nn.Parameter(torch.tensor([2.0, 4.0]))
    sd._metadata = collections.OrderedDict([("", {"version": 1}), ("dense", {"version": 1})])
    torch.save(sd, out("pytorch", "pytorch_model.bin"))
    # Protocol 4 exercises FRAME, MEMOIZE, SHORT_BINUNICODE and STACK_GLOBAL.
    torch.save(sd, out("pytorch", "protocol4.bin"), pickle_protocol=4)
    expected = {k: {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape),
                    "values": v.detach().reshape(-1).tolist()} for k, v in sd.items()}
    with open(out("pytorch", "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


def bin_with_pickle(path, pickle_bytes):
    """A torch-style zip whose data.pkl is `pickle_bytes` (stored, like torch writes)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        for name, data in (("archive/data.pkl", pickle_bytes), ("archive/byteorder", b"little"),
                           ("archive/version", b"3\n")):
            z.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data)


def write_hostile_bins():
    # A pickle that would run os.system when loaded by an unrestricted unpickler.
    bin_with_pickle(out("pytorch", "hostile_global.bin"), b"cposix\nsystem\n(S'echo pwned'\ntR.")
    # builtins.eval through REDUCE, protocol 2 framing.
    bin_with_pickle(out("pytorch", "hostile_eval.bin"),
                    b"\x80\x02cbuiltins\neval\nq\x00X\x0b\x00\x00\x00print('hi')q\x01\x85q\x02Rq\x03.")
    # A storage reference to a record the archive lacks: a real torch.save file minus data/0.
    buf = io.BytesIO()
    torch.save(collections.OrderedDict(w=torch.ones(4)), buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    records = [(name, src.read(name)) for name in src.namelist()]
    with zipfile.ZipFile(out("pytorch", "missing_record.bin"), "w") as z:
        for name, data in records:
            if not name.endswith("/data/0"):
                z.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data)
    # The same archive with deflated entries (torch never compresses; refused, not inflated).
    with zipfile.ZipFile(out("pytorch", "compressed.bin"), "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in records:
            z.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data,
                       compress_type=zipfile.ZIP_DEFLATED)
    # A big-endian archive (saved on a big-endian machine): refused rather than byte-swapped.
    with zipfile.ZipFile(out("pytorch", "big_endian.bin"), "w") as z:
        for name, data in records:
            if name.endswith("/byteorder"):
                data = b"big"
            z.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data)
    # A real torch.save file cut in half: the central directory is gone.
    with open(out("pytorch", "truncated.bin"), "wb") as f:
        f.write(buf.getvalue()[: len(buf.getvalue()) // 2])
    # Not a zip at all (a legacy non-zip torch.save file is refused too).
    with open(out("pytorch", "not_zip.bin"), "wb") as f:
        f.write(b"\x80\x02\x8a\nl\xfc\x9cF\xf9 j\xa8P\x19.")


def write_sharded():
    tensors = multi_dtype_tensors()
    names = sorted(tensors)
    shard1 = {n: tensors[n] for n in names[: len(names) // 2]}
    shard2 = {n: tensors[n] for n in names[len(names) // 2:]}
    d = "sharded_safetensors"
    save_file(shard1, out(d, "model-00001-of-00002.safetensors"), metadata={"format": "pt"})
    save_file(shard2, out(d, "model-00002-of-00002.safetensors"), metadata={"format": "pt"})
    index = {"metadata": {"total_size": sum(t.numel() * t.element_size() for t in tensors.values())},
             "weight_map": {**{n: "model-00001-of-00002.safetensors" for n in shard1},
                            **{n: "model-00002-of-00002.safetensors" for n in shard2}}}
    with open(out(d, "model.safetensors.index.json"), "w") as f:
        json.dump(index, f, indent=2)
    # Sharded pytorch_model.bin.
    d = "sharded_bin"
    a = collections.OrderedDict(x=torch.tensor([1.0, 2.0]), y=torch.tensor([3], dtype=torch.int32))
    b = collections.OrderedDict(z=torch.tensor([[5.0, 6.0]]))
    torch.save(a, out(d, "pytorch_model-00001-of-00002.bin"))
    torch.save(b, out(d, "pytorch_model-00002-of-00002.bin"))
    index = {"metadata": {"total_size": 16}, "weight_map": {
        "x": "pytorch_model-00001-of-00002.bin", "y": "pytorch_model-00001-of-00002.bin",
        "z": "pytorch_model-00002-of-00002.bin"}}
    with open(out(d, "pytorch_model.bin.index.json"), "w") as f:
        json.dump(index, f, indent=2)
    # Broken indexes: a name mapped to a shard that lacks it; a shard file that is missing.
    d = "sharded_bad"
    save_file({"p": torch.ones(1)}, out(d, "missing_name", "s1.safetensors"))
    with open(out(d, "missing_name", "model.safetensors.index.json"), "w") as f:
        json.dump({"weight_map": {"p": "s1.safetensors", "q": "s1.safetensors"}}, f)
    os.makedirs(out(d, "missing_file", "x"), exist_ok=True)
    with open(out(d, "missing_file", "model.safetensors.index.json"), "w") as f:
        json.dump({"weight_map": {"p": "nope.safetensors"}}, f)
    os.makedirs(out(d, "escape", "x"), exist_ok=True)
    with open(out(d, "escape", "model.safetensors.index.json"), "w") as f:
        json.dump({"weight_map": {"p": "../missing_name/s1.safetensors"}}, f)


if __name__ == "__main__":
    write_valid()
    write_malformed()
    write_pytorch_bin()
    write_hostile_bins()
    write_sharded()
    print("fixtures written under", os.path.normpath(ROOT))
