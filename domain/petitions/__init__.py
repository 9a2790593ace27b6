"""Complaints, denunciations and petitions (khiếu nại, tố cáo, kiến nghị, phản ánh): the second
kind of case, received by an agency, processed and handled within the terms the law sets."""
