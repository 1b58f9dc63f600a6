"""The files ARRS loads: allocations, staff in post and claims kept by an ICB, and the NWRS
PCN workforce extract. Each writes through `arrs.services`; `arrs/apps.py` registers them."""
