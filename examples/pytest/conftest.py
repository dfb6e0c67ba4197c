# conftest.py: one `dynamo-lens serve` per test session, on a free port it reports.
import os
import signal
import subprocess

import boto3
import pytest


@pytest.fixture(scope="session")
def dynamodb_endpoint():
    server = subprocess.Popen(
        ["npx", "dynamo-lens", "serve", "--port", "0", "--in-memory", "--tables", "template.yaml", "--seed", "seed.json"],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=os.name != "nt",  # its own process group, ended whole below
    )
    for line in server.stdout:  # DYNAMO_LENS_PORT=<port> comes once the endpoint listens
        if line.startswith("DYNAMO_LENS_PORT="):
            port = line.strip().split("=", 1)[1]
            break
    else:
        raise RuntimeError("dynamo-lens serve exited before it listened")
    yield f"http://127.0.0.1:{port}"
    # npx does not pass a signal on to the server it started: end npx and the server together.
    if os.name == "nt":
        subprocess.run(["taskkill", "/T", "/F", "/PID", str(server.pid)], capture_output=True)
    else:
        os.killpg(server.pid, signal.SIGTERM)
    server.wait()


@pytest.fixture
def dynamodb(dynamodb_endpoint):
    return boto3.resource(
        "dynamodb",
        endpoint_url=dynamodb_endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
