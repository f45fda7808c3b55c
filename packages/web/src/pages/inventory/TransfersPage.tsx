import { DocumentsList } from "./DocumentsPage";

export default function TransfersPage() {
  return <DocumentsList type="transfer" />;
}
