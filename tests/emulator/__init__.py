"""Tests of the Procore sandbox emulator (include/procore_emulator)."""
