"""The files the register loads: the ODS organisation reports and the monthly list sizes.
Each writes through `practices.services`; `practices/apps.py` registers them."""
