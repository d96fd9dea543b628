public enum IngestionPlaceholder {}
