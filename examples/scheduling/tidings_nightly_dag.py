"""An Airflow DAG for the nightly incremental tidings run.

Copy it into Airflow's dags folder. Airflow is not a dependency of tidings;
the tests only compile this file. The task runs tidings through
BashOperator; a non-zero exit fails the task, which Airflow retries and
then reports by e-mail (email_on_failure) or your on_failure_callback.
Exit 3 (the previous run still holds the output's lock) is made a skip.
"""
from __future__ import annotations

import datetime

from airflow import DAG
from airflow.operators.bash import BashOperator


TIDINGS = "/srv/tidings/.venv/bin/tidings"
INPUT = "/data/news"
OUTPUT = "/data/tidings"

with DAG(
    dag_id="tidings_nightly",
    description="Incremental tidings run over the day's articles, with its report",
    schedule="15 2 * * *",
    start_date=datetime.datetime(2026, 1, 1),
    catchup=False,              # one run covers every new file; no backfill
    max_active_runs=1,          # tidings' lock refuses a second anyway (exit 3)
    default_args={
        "owner": "data",
        "retries": 1,
        "retry_delay": datetime.timedelta(minutes=20),
        "email": ["ops@example.org"],
        "email_on_failure": True,
        "execution_timeout": datetime.timedelta(hours=6),
    },
    tags=["tidings"],
) as dag:
    BashOperator(
        task_id="tidings_run",
        bash_command=(f"{TIDINGS} run --input {INPUT} --output {OUTPUT} --report; "
                      "code=$?; [ $code -eq 3 ] && exit 99; exit $code"),
        skip_on_exit_code=99,   # the previous run was still going: skipped, not failed
    )
