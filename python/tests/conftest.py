"""Shared fixtures: the conformance corpus, its expected dumps, and a bucket on the test
S3 server (moto, started by scripts/run-tests; its address in PARKETT_TEST_S3_ENDPOINT)."""
import os
import pathlib
import subprocess
import uuid

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = pathlib.Path(os.environ.get("PARKETT_TESTING_DIR", ROOT.parent / "shared" / "parquet-testing"))
EXPECTED = pathlib.Path(os.environ.get("PARKETT_TESTING_EXPECTED_DIR", CORPUS.parent / "parquet-testing-expected"))


@pytest.fixture(scope="session")
def corpus():
    if not (CORPUS / "data").is_dir():
        pytest.fail(f"the conformance corpus is not at {CORPUS} (set PARKETT_TESTING_DIR)")
    return CORPUS


@pytest.fixture
def s3_bucket():
    """A fresh bucket on the test server, made with boto3 (an independent S3 client on the
    Python that runs moto): (endpoint, bucket, S3 settings for parkett)."""
    endpoint = os.environ.get("PARKETT_TEST_S3_ENDPOINT")
    if not endpoint:
        pytest.fail("PARKETT_TEST_S3_ENDPOINT is not set: run the tests with scripts/run-tests, which starts moto")
    bucket = "py-" + uuid.uuid4().hex[:12]
    boto3(f"s3.create_bucket(Bucket={bucket!r})")
    settings = {"endpoint_url": endpoint, "region": "us-east-1", "access_key_id": "testing",
                "secret_access_key": "testing"}
    return endpoint, bucket, settings


def boto3(statement):
    """Runs one statement against the test server with boto3 (`s3` is the client) and
    returns its printed result."""
    python = os.environ.get("PARKETT_TEST_PYTHON", "python3")
    endpoint = os.environ["PARKETT_TEST_S3_ENDPOINT"]
    code = ("import boto3, json; s3 = boto3.client('s3', endpoint_url=%r, region_name='us-east-1', "
            "aws_access_key_id='testing', aws_secret_access_key='testing'); r = %s; "
            "print(json.dumps(r, default=str))" % (endpoint, statement))
    out = subprocess.run([python, "-c", code], check=True, capture_output=True, text=True)
    return out.stdout
