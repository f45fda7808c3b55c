import { DocumentsList } from "./DocumentsPage";

export default function ReceiptsPage() {
  return <DocumentsList type="receipt" />;
}
