"""Celery workers in their own processes, for the tests that run on the real services."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def start_celery_worker(log, env):
    """Start a worker with ``env``, logging to ``log``; return its process once it is ready
    (the test fails, with the worker's log, if it does not start within a minute)."""
    handle = log.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "rabat_portal",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while "ready." not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"The Celery worker did not start:\n{log.read_text()}")
        time.sleep(0.2)
    return process


def stop_workers(processes):
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
