"""The ODS organisation reports: practices (epraccur), PCNs (epcn) and the practices in
each PCN (epcncorepartnerdetails, or the older ePCN.xlsx).

Importing this package registers the three sources.
"""

from metrics.sources.ods import pcn_members, pcns, practices

__all__ = ["pcn_members", "pcns", "practices"]
