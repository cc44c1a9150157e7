-- The public lists (法定主动公开内容) are paged, filtered and counted in SQL: the item row keeps
-- its publication day in Beijing and its current validity (有效性), both written with the row.
ALTER TABLE catalog_item ADD COLUMN published_on TEXT;
ALTER TABLE catalog_item ADD COLUMN validity TEXT CHECK (validity IN ('valid', 'expired', 'repealed'));

UPDATE catalog_item SET published_on = date(published_at, '+8 hours') WHERE published_at IS NOT NULL;
UPDATE catalog_item SET validity = (
    SELECT v.status FROM catalog_validity v WHERE v.item_id = catalog_item.id ORDER BY v.seq DESC LIMIT 1
);

-- Newest first, per agency and over every agency.
CREATE INDEX catalog_item_public ON catalog_item (agency_id, stage, published_at, id);
CREATE INDEX catalog_item_published ON catalog_item (stage, published_at, id);
-- Counts by facet and of a filtered list, answered from the index alone (an item row carries
-- its body, so a scan of the rows reads the whole catalogue).
CREATE INDEX catalog_item_facets ON catalog_item (agency_id, stage, column_name, subject, genre, published_on, validity);
