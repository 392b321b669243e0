-- Orrery engine: a workflow's instances listed a page at a time in key order (ids are tenant/workflow/key), by
-- status or not: an index range from the cursor on, never a sort of the whole workflow. The first index also
-- serves what the old (tenant, workflow) one did.

DROP INDEX engine_instances_workflow;
CREATE INDEX engine_instances_page ON engine_instances (tenant, workflow, id);
CREATE INDEX engine_instances_status ON engine_instances (tenant, workflow, status, id);
