"""Careers beyond the results: sourced statements about people, and the publications they cite."""
