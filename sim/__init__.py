"""Championship-season simulator for multi-class endurance sports-car racing."""

__version__ = "0.1.0"
