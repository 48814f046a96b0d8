// The XML S3 answers with: element texts by name, entities decoded, look-alike names apart.
#include "io/xml_scan.h"

#include <gtest/gtest.h>

namespace parkett::io {
namespace {

TEST(XmlScan, ListingElements) {
  const std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Name>b</Name><Prefix>data/</Prefix><KeyCount>2</KeyCount><IsTruncated>true</IsTruncated>"
      "<Contents><Key>a &amp; b.parquet</Key><Size>10</Size><ETag>&quot;e1&quot;</ETag></Contents>"
      "<Contents><Key>&#x41;&#66;&lt;&gt;&apos;&#233;&#x1F600;</Key><Size>0</Size></Contents>"
      "<Contents><Key/><Size>3</Size></Contents>"
      "<NextContinuationToken>tok+/=</NextContinuationToken></ListBucketResult>";
  const auto contents = xml_elements(xml, "Contents");
  ASSERT_EQ(contents.size(), 3u);
  EXPECT_EQ(xml_text(contents[0], "Key"), "a & b.parquet");
  EXPECT_EQ(xml_text(contents[0], "ETag"), "\"e1\"");
  EXPECT_EQ(xml_text(contents[1], "Key"), "AB<>'\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(xml_text(contents[2], "Key"), "");
  EXPECT_EQ(xml_text(contents[2], "Size"), "3");
  EXPECT_EQ(xml_text(xml, "Key"), "a & b.parquet");  // the first
  EXPECT_EQ(xml_text(xml, "KeyCount"), "2");         // not taken for <Key>
  EXPECT_EQ(xml_text(xml, "NextContinuationToken"), "tok+/=");
  EXPECT_EQ(xml_text(xml, "Missing"), std::nullopt);
}

// Bad or unknown entities stay as written; an unclosed element is absent.
TEST(XmlScan, OddInputStaysHarmless) {
  EXPECT_EQ(xml_text("<a>&bogus; &#xZZ; &#99999999; & x</a>", "a"), "&bogus; &#xZZ; &#99999999; & x");
  EXPECT_EQ(xml_text("<a>never closed", "a"), std::nullopt);
  EXPECT_EQ(xml_text("<a", "a"), std::nullopt);
  EXPECT_TRUE(xml_elements("", "a").empty());
  EXPECT_EQ(xml_escape("<k>&\"'"), "&lt;k&gt;&amp;&quot;&apos;");
}

}  // namespace
}  // namespace parkett::io
