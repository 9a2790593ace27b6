"""Directives (văn bản chỉ đạo) and their execution: the aggregate, its references, its errors
and why a directive was late."""
