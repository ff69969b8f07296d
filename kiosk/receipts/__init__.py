"""Receipts: the signed QR seal, receipt PDFs (80 mm and A4), the spoken receipt, and
offline verification against the portal's trust list. No Qt here (kiosk/ui shows them).
"""
