import { TreeSelect } from "antd";
import { useMemo } from "react";
import { useAllDepartments } from "../../api/queries";
import { useLang } from "../../i18n/core";
import { deptTreeOptions } from "./deptTree";

/** Department picker (active departments as a tree, searchable). */
export function DeptSelect({
  value,
  onChange,
  disabledIds,
  placeholder,
  allowClear = true,
  style,
  testId,
}: {
  value?: number | null;
  onChange?: (v: number | null) => void;
  disabledIds?: Set<number>;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  testId?: string;
}) {
  const { lang } = useLang();
  const { data, isLoading } = useAllDepartments();
  const treeData = useMemo(() => deptTreeOptions(data ?? [], lang, disabledIds), [data, lang, disabledIds]);
  return (
    <TreeSelect
      value={value ?? undefined}
      onChange={(v) => onChange?.((v as number | undefined) ?? null)}
      treeData={treeData}
      loading={isLoading}
      allowClear={allowClear}
      placeholder={placeholder}
      showSearch={{ treeNodeFilterProp: "title" }}
      treeDefaultExpandAll
      style={style ?? { width: "100%" }}
      popupMatchSelectWidth={false}
      data-testid={testId}
    />
  );
}
