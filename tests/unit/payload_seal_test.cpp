// Sealing (docs/erasure.md) without a database: the envelope, the master key, which fields
// are content, and the document's erasure decisions.
#include <gtest/gtest.h>

#include "domain/content_fields.hpp"
#include "domain/document.hpp"
#include "domain/errors.hpp"
#include "infrastructure/aead.hpp"
#include "infrastructure/master_key.hpp"
#include "infrastructure/payload_seal.hpp"

namespace docledger::infrastructure {
namespace {

const std::string kKey = "0123456789abcdef0123456789ABCDEF";
const std::string kOtherKey = "fedcba9876543210FEDCBA9876543210";
const std::string kEvent = "2f7d3a4e-1b2c-4d5e-8f90-a1b2c3d4e5f6";
const std::string kDocument = "9a1f4f0e-2b3c-4d5e-8f90-a1b2c3d4e5f6";

nlohmann::json Converted(const std::string& markdown) {
  return {{"document_id", kDocument}, {"markdown", markdown}, {"converter", "pandoc"}};
}

TEST(PayloadSeal, SealsOnlyTheContentFieldsAndOpensThemAgain) {
  auto payload = Converted("# secret marker");
  payload = nlohmann::json::parse(SealPayload(payload, "DocumentConverted", kEvent, kKey));
  EXPECT_FALSE(payload.contains("markdown"));
  EXPECT_EQ(payload["converter"], "pandoc") << "not content: stays in clear";
  EXPECT_EQ(payload["document_id"], kDocument);
  EXPECT_EQ(payload.dump().find("secret marker"), std::string::npos);
  EXPECT_EQ(SealedOwner(payload), kDocument);
  EXPECT_EQ(payload["sealed"]["fields"], nlohmann::json({{"markdown", "string"}}));

  const auto opened = OpenPayload(payload, kEvent, &kKey);
  EXPECT_EQ(opened.outcome, OpenOutcome::kOpened);
  EXPECT_EQ(nlohmann::json::parse(opened.text), Converted("# secret marker"));
}

TEST(PayloadSeal, OpensPayloadsWhoseClearPartIsEmptyOrWhoseClearCopyOfAFieldWasPlantedNextToTheEnvelope) {
  nlohmann::json only_content = {{"document_id", kDocument}, {"markdown", "m"}};
  only_content = nlohmann::json::parse(SealPayload(only_content, "DocumentConverted", kEvent, kKey));
  only_content.erase("document_id");  // as if nothing were left in clear
  EXPECT_EQ(nlohmann::json::parse(OpenPayload(only_content, kEvent, &kKey).text), nlohmann::json({{"markdown", "m"}}));

  auto planted = Converted("the sealed text");
  planted = nlohmann::json::parse(SealPayload(planted, "DocumentConverted", kEvent, kKey));
  planted["markdown"] = "a clear copy written next to the envelope";
  const auto text = OpenPayload(planted, kEvent, &kKey).text;
  EXPECT_EQ(nlohmann::json::parse(text), Converted("the sealed text")) << "the sealed value is the one";
  EXPECT_EQ(text.find("\"markdown\""), text.rfind("\"markdown\"")) << "once: " << text;
}

TEST(PayloadSeal, LongContentIsCompressedBeforeItIsEncryptedAndOpensAgain) {
  std::string markdown;
  while (markdown.size() < 20000) markdown += "| stage | 12 ms | 40 ms |\nThroughput is defined as documents per second.\n";
  auto sealed = nlohmann::json::parse(SealPayload(Converted(markdown), "DocumentConverted", kEvent, kKey));
  EXPECT_EQ(sealed["sealed"]["zip"], "zstd");
  EXPECT_LT(sealed["sealed"]["ciphertext"].get<std::string>().size(), markdown.size() / 4) << "compressed first";
  EXPECT_EQ(nlohmann::json::parse(OpenPayload(sealed, kEvent, &kKey).text), Converted(markdown));
  EXPECT_FALSE(nlohmann::json::parse(SealPayload(Converted("short"), "DocumentConverted", kEvent, kKey))["sealed"]
                   .contains("zip"))
      << "what does not shrink is sealed as it is";

  auto unknown = sealed;
  unknown["sealed"]["zip"] = "brotli";
  EXPECT_THROW(OpenPayload(unknown, kEvent, &kKey), SealError);
  auto stripped = sealed;
  stripped["sealed"].erase("zip");
  EXPECT_THROW(OpenPayload(stripped, kEvent, &kKey), SealError) << "compressed bytes are not a JSON object";
}

TEST(PayloadSeal, TheSameEventSealsToTheSameBytesAndAnotherOneDoesNot) {
  auto first = Converted("text");
  auto again = Converted("text");
  auto other_event = Converted("text");
  auto other_text = Converted("texts");
  first = nlohmann::json::parse(SealPayload(first, "DocumentConverted", kEvent, kKey));
  again = nlohmann::json::parse(SealPayload(again, "DocumentConverted", kEvent, kKey));
  other_event = nlohmann::json::parse(SealPayload(other_event, "DocumentConverted", "3f7d3a4e-1b2c-4d5e-8f90-a1b2c3d4e5f6", kKey));
  other_text = nlohmann::json::parse(SealPayload(other_text, "DocumentConverted", kEvent, kKey));
  EXPECT_EQ(first.dump(), again.dump()) << "a retried append must be recognised";
  EXPECT_NE(first["sealed"]["nonce"], other_event["sealed"]["nonce"]);
  EXPECT_NE(first["sealed"]["nonce"], other_text["sealed"]["nonce"]) << "a nonce is never reused for other text";
}

TEST(PayloadSeal, AWrongKeyAnotherEventOrAlteredBytesDoNotOpen) {
  auto sealed = Converted("text");
  sealed = nlohmann::json::parse(SealPayload(sealed, "DocumentConverted", kEvent, kKey));
  auto copy = sealed;
  EXPECT_THROW(OpenPayload(copy, kEvent, &kOtherKey), SealError);
  copy = sealed;
  EXPECT_THROW(OpenPayload(copy, "3f7d3a4e-1b2c-4d5e-8f90-a1b2c3d4e5f6", &kKey), SealError)
      << "the ciphertext is bound to its event id";
  copy = sealed;
  auto text = copy["sealed"]["ciphertext"].get<std::string>();
  text[0] = text[0] == 'A' ? 'B' : 'A';
  copy["sealed"]["ciphertext"] = text;
  EXPECT_THROW(OpenPayload(copy, kEvent, &kKey), SealError);
}

TEST(PayloadSeal, WithoutItsKeyEveryFieldGetsTheEmptyValueOfItsKind) {
  nlohmann::json uploaded = {{"document_id", kDocument}, {"filename", "secret.pdf"}, {"metadata", {{"a", 1}}},
                             {"source_url", nullptr}, {"sha256", std::string(64, 'a')}, {"size_bytes", 7}};
  uploaded = nlohmann::json::parse(SealPayload(uploaded, "DocumentUploaded", kEvent, kKey));
  const auto erased = OpenPayload(uploaded, kEvent, nullptr);
  EXPECT_EQ(erased.outcome, OpenOutcome::kErased);
  uploaded = nlohmann::json::parse(erased.text);
  EXPECT_EQ(uploaded["filename"], "");
  EXPECT_EQ(uploaded["metadata"], nlohmann::json::object());
  EXPECT_TRUE(uploaded["source_url"].is_null());
  EXPECT_EQ(uploaded["size_bytes"], 7) << "facts stay";
  nlohmann::json items = {{"document_id", kDocument}, {"source_event_id", kEvent}, {"items", {{{"ir_type", "formula"}}}}};
  items = nlohmann::json::parse(SealPayload(items, "SemanticIRExtracted", kEvent, kKey));
  EXPECT_EQ(nlohmann::json::parse(OpenPayload(items, kEvent, nullptr).text)["items"], nlohmann::json::array());
}

TEST(PayloadSeal, PayloadsWithoutContentOrWithoutADocumentStayInClear) {
  nlohmann::json created = {{"project_id", kDocument}, {"name", "P"}};
  created = nlohmann::json::parse(SealPayload(created, "ProjectCreated", kEvent, kKey));
  EXPECT_FALSE(created.contains("sealed"));
  EXPECT_EQ(OpenPayload(created, kEvent, nullptr).outcome, OpenOutcome::kClear);
  EXPECT_EQ(domain::ContentOwner("JobStarted", {{"job_id", kEvent}, {"document_id", nullptr}, {"input", {{"x", 1}}}}),
            std::nullopt)
      << "a job that names no document has no key to be sealed with";
  EXPECT_EQ(domain::ContentOwner("JobStarted", {{"document_id", kDocument}, {"input", {{"x", 1}}}}), kDocument);
  EXPECT_EQ(domain::ContentOwner("DocumentDeleted", {{"document_id", kDocument}, {"reason", "x"}}), std::nullopt);
}

TEST(MasterKey, ReadsHexOrBase64RefusesTheRestAndWrapsPerDocument) {
  const auto hex = MasterKey::FromText(" " + crypto::Hex(kKey) + "\n");
  const auto base64 = MasterKey::FromText(crypto::EncodeBase64(kKey));
  EXPECT_EQ(hex.Fingerprint(), base64.Fingerprint());
  EXPECT_EQ(hex.Fingerprint().size(), 16u);
  EXPECT_THROW(MasterKey::FromText("abc"), MasterKeyError);
  EXPECT_THROW(MasterKey::FromText(std::string(64, 'f')), MasterKeyError) << "one byte repeated: a placeholder";

  const auto wrapped = hex.Wrap(kDocument, kOtherKey);
  EXPECT_EQ(hex.Unwrap(kDocument, wrapped), kOtherKey);
  EXPECT_EQ(hex.Unwrap("00000000-0000-0000-0000-000000000000", wrapped), std::nullopt);
  EXPECT_EQ(MasterKey::FromText(crypto::Hex(kOtherKey)).Unwrap(kDocument, wrapped), std::nullopt);
  EXPECT_NE(MasterKey::Generate().Fingerprint(), MasterKey::Generate().Fingerprint());
}

TEST(DocumentErasure, AnyUploadedDocumentCanBeErasedOnceAndThenRefusesNewContent) {
  using namespace domain;
  DocumentState state;
  EXPECT_THROW(Decide(state, EraseDocument{kDocument, "request", "admin", 0}), NotFound);
  state = Evolve(state, DocumentUploaded{kDocument, kDocument, "a.pdf", "application/pdf", std::string(64, 'a'), 1,
                                         std::nullopt, nlohmann::json::object()});
  EXPECT_THROW(Decide(state, EraseDocument{kDocument, "", "admin", 0}), ValidationError) << "a reason is required";
  const auto events = Decide(state, EraseDocument{kDocument, "GDPR art. 17", "admin", 2});
  ASSERT_EQ(events.size(), 1u);
  const auto& erased = std::get<domain::DocumentErased>(events[0]);
  EXPECT_EQ(erased.reason, "GDPR art. 17");
  EXPECT_EQ(erased.unshredded_events, 2);
  state = Evolve(state, events[0]);
  EXPECT_FALSE(state.live());
  EXPECT_TRUE(Decide(state, EraseDocument{kDocument, "again", "admin", 0}).empty()) << "idempotent";
  EXPECT_THROW(Decide(state, ConvertDocument{kDocument, "# text", ""}), DocumentErasedError);
  EXPECT_THROW(Decide(state, DeleteDocument{kDocument, ""}), DocumentErasedError);
}

}  // namespace
}  // namespace docledger::infrastructure
