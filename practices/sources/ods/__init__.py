"""The ODS organisation reports: practices (epraccur), PCNs (epcn) and the practices in
each PCN (epcncorepartnerdetails, or the older ePCN.xlsx).

The app registers the three sources when it starts.
"""

from practices.sources.ods import pcn_members, pcns, practices

__all__ = ["pcn_members", "pcns", "practices"]
