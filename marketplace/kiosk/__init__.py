"""Kiosk mode for shared touch terminals at service points (/kiosk)."""
