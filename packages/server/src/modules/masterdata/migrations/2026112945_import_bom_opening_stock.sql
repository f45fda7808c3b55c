-- Imports of BOMs (engineering) and opening stock (inventory) next to the catalog's kinds (DAT-3).
alter table import_run drop constraint import_run_kind_check;
alter table import_run add constraint import_run_kind_check
  check (kind in ('uom', 'item', 'partner', 'supplier_item', 'bom', 'opening_stock'));
