// The page at GET / in real headless Chromium: type a sentence, see one bar per class.
#include <gtest/gtest.h>

#include <thread>

#include "chromium_cdp.hpp"
#include "finsent/serve/text_classifier_backend.hpp"
#include "running_server.hpp"

namespace finsent::serve {
namespace {

using nlohmann::json;

TEST(ServePage, TypingASentenceShowsProbabilityBars) {
  const std::string chromium = testing::find_chromium();
  ASSERT_FALSE(chromium.empty())
      << "Chromium not found: install Debian's `chromium` (scripts/setup.sh does) or set "
         "FINSENT_CHROMIUM to its path";
  auto model = load_classifier_backend(
      std::filesystem::path(FINSENT_FIXTURES_DIR) / "models/tiny-bert", "tiny-bert");
  testing::RunningServer running(*model, {});
  const std::string sentence = "the company profit rose";
  auto c = running.client();
  const json expected =
      json::parse(c.Post("/predict", json{{"inputs", sentence}}.dump(), "application/json")->body);

  testing::ChromiumPage page(chromium);
  page.navigate("http://127.0.0.1:" + std::to_string(running.port()) + "/");
  EXPECT_EQ(page.eval("document.querySelectorAll('#result .row').length"), 0);
  page.eval("document.getElementById('text').focus()");
  page.type(sentence);

  const std::string rows_js =
      "Array.from(document.querySelectorAll('#result .row')).map(r => ({label: r.dataset.label, "
      "score: Number(r.dataset.score), width: r.querySelector('.bar').style.width, "
      "shown: r.querySelector('.bar').getBoundingClientRect().width}))";
  json rows;
  for (int i = 0; i < 100; ++i) {
    rows = page.eval(rows_js);
    if (rows.is_array() && !rows.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(rows.is_array());
  ASSERT_EQ(rows.size(), expected.size()) << rows.dump();
  double total = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i]["label"], expected[i]["label"]) << rows.dump();
    EXPECT_NEAR(rows[i]["score"].get<double>(), expected[i]["score"].get<double>(), 1e-6);
    char width[32];
    std::snprintf(width, sizeof width, "%.1f%%", 100 * expected[i]["score"].get<double>());
    EXPECT_EQ(rows[i]["width"], width);
    EXPECT_GT(rows[i]["shown"].get<double>(), 0.0) << "bar " << i << " is not drawn";
    total += rows[i]["score"].get<double>();
  }
  EXPECT_NEAR(total, 1.0, 1e-5);
  EXPECT_EQ(page.eval("document.getElementById('text').value"), sentence);
  EXPECT_EQ(page.eval("document.getElementById('error').textContent"), "");
}

}  // namespace
}  // namespace finsent::serve
