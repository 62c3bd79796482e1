"""Autogenerate: compare the models with the database and write the migration.

The pipeline, one module per step::

    from_metadata / reflect   build SchemaSnapshot values (models; live database, in bulk)
    filters / reconcile       env.py's include_object; objects a database reports two ways
    renames                   hints, candidates and the decision (asked, or never guessed)
    diff                      pure: diff(old, new, options) -> operations (compare_table,
                              compare_columns, normalize do the comparing)
    plugins                   comparator plugins (entry point group sqlstrata.comparators)
    directives                the operation tree process_revision_directives rewrites
    render / render_items     operations as Python source for the script template
    describe                  operations in words, for strata check
    produce                   the one effectful entry point, run from env.py's context
"""
