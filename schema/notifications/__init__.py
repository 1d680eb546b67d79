"""Notifications (issue 14): what one is told and how, and the in-app feed."""
