"""The government's swaps of working days (hoán đổi ngày làm việc, làm bù), entered by an
administrator as events, so that a deadline counted in working days can be counted again as the
calendar stood at any log position (``domain.shared.calendar`` counts them)."""
