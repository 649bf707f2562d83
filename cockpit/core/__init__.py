"""The foundation every room stands on: config, storage, clock, i18n, audit, identity."""
