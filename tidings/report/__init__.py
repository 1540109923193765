"""The HTML report of a tidings output (``tidings report``)."""
from tidings.report.page import GENERATOR, build_report  # noqa: F401
