"""Figures for each chapter, drawn from data in the house style (:mod:`lib.present.figures`)."""
