// The webhook signature: HMAC-SHA256 as receivers compute it.
#include <gtest/gtest.h>

#include "notify/signature.h"

namespace opr::notify {
namespace {

TEST(Signature, IsTheHexHmacSha256OfTheBody) {
  // RFC 4231, test case 2.
  EXPECT_EQ(signature_header("Jefe", "what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace
}  // namespace opr::notify
