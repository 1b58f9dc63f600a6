"""The GP appointments sources. They are registered in `metrics/apps.py`."""
