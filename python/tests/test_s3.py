"""S3 from Python against a real S3 server on 127.0.0.1 (moto), with boto3 as the
independent client that checks what is there."""
import json

import pytest

import parkett
import parkett.parquet as pq
from conftest import boto3


def keys(bucket):
    listed = json.loads(boto3(f"s3.list_objects_v2(Bucket={bucket!r})"))
    return sorted(o["Key"] for o in listed.get("Contents", []))


def table(n=500):
    return parkett.table({"id": list(range(n)), "g": [i % 4 for i in range(n)], "s": [f"v{i}" for i in range(n)]})


def test_write_and_read_a_file(s3_bucket):
    endpoint, bucket, settings = s3_bucket
    fs = parkett.S3FileSystem(endpoint_override=endpoint.split("://")[1], scheme="http", access_key="testing",
                              secret_key="testing", region="us-east-1")
    pq.write_table(table(), f"s3://{bucket}/t.parquet", filesystem=fs)
    assert keys(bucket) == ["t.parquet"]
    assert pq.read_table(f"s3://{bucket}/t.parquet", filesystem=fs).to_pydict() == table().to_pydict()
    assert pq.read_metadata(f"s3://{bucket}/t.parquet", s3_options=settings).num_rows == 500
    assert pq.read_metadata(f"s3://{bucket}/t.parquet", filesystem=parkett.S3Options(**settings)).num_rows == 500
    got = pq.read_table(f"s3://{bucket}/t.parquet", s3_options=settings, filters=[("id", "<", 3)], columns=["s"])
    assert got.to_pydict() == {"s": ["v0", "v1", "v2"]}


def test_datasets_on_s3(s3_bucket):
    _, bucket, settings = s3_bucket
    root = f"s3://{bucket}/ds"
    collected = []
    pq.write_to_dataset(table(), root, partition_cols=["g"], s3_options=settings, metadata_collector=collected)
    assert len(keys(bucket)) == 4 and all(k.startswith("ds/g=") for k in keys(bucket))
    pq.write_metadata(table().select(["id", "s"]).schema, f"{root}/_metadata", metadata_collector=collected,
                      s3_options=settings)
    t = pq.read_table(root + "/", s3_options=settings, filters=[("g", "=", 2)])
    assert sorted(t.column("id").to_pylist()) == [i for i in range(500) if i % 4 == 2]


def test_a_missing_object_is_file_not_found(s3_bucket):
    _, bucket, settings = s3_bucket
    with pytest.raises(FileNotFoundError) as info:
        pq.read_table(f"s3://{bucket}/nope.parquet", s3_options=settings)
    assert "nope.parquet" in str(info.value)


def test_a_failed_write_leaves_no_object(s3_bucket):
    _, bucket, settings = s3_bucket
    with pytest.raises(RuntimeError):
        with pq.ParquetWriter(f"s3://{bucket}/w.parquet", table().schema, s3_options=settings) as w:
            w.write_table(table())
            raise RuntimeError("stop")
    assert keys(bucket) == []
    assert json.loads(boto3(f"s3.list_multipart_uploads(Bucket={bucket!r})")).get("Uploads", []) == []


def test_secrets_are_not_shown():
    fs = parkett.S3FileSystem(access_key="AKIDEXAMPLE", secret_key="wJalrXUtnFEMI/K7MDENG", region="eu-west-1")
    assert "wJalr" not in repr(fs) and "AKID" not in repr(fs)
