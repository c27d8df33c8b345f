"""The public city guide (kent rehberi) and its touch-screen kiosk mode."""
