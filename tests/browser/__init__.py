"""Tests of the built book in a real browser (Chromium driven by Playwright)."""
