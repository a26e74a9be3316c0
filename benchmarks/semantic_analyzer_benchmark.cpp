// Semantic analyzer throughput (conventions 18: figures in MB/s, 1 MB = 10^6 bytes).
//
//   build-rel/benchmarks/semantic_analyzer_benchmark
//   benchmarks/run-analyzer-benchmark            (release build, prints MB/s per case)
//
// The input is a ~1 MB technical report generated deterministically (a fixed-seed LCG):
// sections with prose and inline math, display formulas and equation environments,
// bold, phrase and glossary definitions, pipe tables with captions and escaped pipes,
// cross-references and anchor links, and fenced code blocks full of $ and |. A second case
// is plain prose of the same size, which shows the cost of the scan alone. One core: the
// analyzer is single-threaded.
#include <cstdint>
#include <string>

#include <benchmark/benchmark.h>

#include "analysis/semantic_analyzer.hpp"

namespace {

using docledger::analysis::AnalyzeMarkdown;

constexpr std::size_t kDocumentBytes = 1'000'000;

class Lcg {
 public:
  std::uint32_t Next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(state_ >> 33);
  }
  std::uint32_t Below(std::uint32_t n) { return Next() % n; }
  template <typename Array>
  const char* Pick(const Array& choices) {
    return choices[Below(static_cast<std::uint32_t>(std::size(choices)))];
  }

 private:
  std::uint64_t state_ = 20240611;
};

constexpr const char* kWords[] = {
    "the", "thermal", "model", "of", "a", "cell", "is", "calibrated", "against", "measured",
    "temperatures", "and", "the", "residuals", "remain", "below", "one", "kelvin", "for", "all",
    "operating", "points", "while", "current", "density", "varies", "with", "state", "charge",
    "we", "observe", "that", "convection", "dominates", "at", "high", "flow", "rates", "in",
    "pack", "design", "results", "boundary", "layer", "coefficient", "estimate", "uncertainty"};

constexpr const char* kInlineMath[] = {
    "$x_i$", "$\\alpha + \\beta_1$", "$T_{max}$", "$R_{int} I^2$", "$\\dot Q$",
    "$h A (T - T_\\infty)$", "$\\sigma^2$", "$n$"};

constexpr const char* kReferences[] = {
    "Section 3.2", "Sec. 4", "Table 2", "Figure 5", "Fig. 1b", "Eq. (3)", "Equation 7",
    "\xC2\xA7\x32.1" /* \x32 = "2" */, "[the appendix](#appendix)", "[results](#results)"};

void Sentence(Lcg& rng, std::string& out) {
  const std::uint32_t words = 8 + rng.Below(14);
  for (std::uint32_t w = 0; w < words; ++w) {
    if (w > 0) out += ' ';
    const std::uint32_t roll = rng.Below(40);
    if (roll == 0) {
      out += rng.Pick(kInlineMath);
    } else if (roll == 1) {
      out += rng.Pick(kReferences);
    } else if (roll == 2) {
      out += "`config.value`";
    } else if (roll == 3) {
      out += "$" + std::to_string(5 + rng.Below(500));  // a price, not math
    } else {
      out += rng.Pick(kWords);
    }
  }
  out += ". ";
}

void Paragraph(Lcg& rng, std::string& out) {
  const std::uint32_t sentences = 2 + rng.Below(5);
  for (std::uint32_t s = 0; s < sentences; ++s) Sentence(rng, out);
  out += "\n\n";
}

void Section(Lcg& rng, std::string& out, int number) {
  out += "## " + std::to_string(number) + " Thermal analysis of configuration " + std::to_string(number) + "\n\n";
  Paragraph(rng, out);
  out += "**Heat flux " + std::to_string(number) + "**: the rate of heat transfer per unit area.\n";
  out += "The contact resistance is defined as the temperature drop divided by the heat flow.\n\n";
  Paragraph(rng, out);
  out += "$$\nT(t) = T_\\infty + (T_0 - T_\\infty) e^{-t/\\tau} \\label{eq:decay-" + std::to_string(number) + "}\n$$\n\n";
  out += "\\begin{equation}\nm c_p \\frac{dT}{dt} = I^2 R - h A (T - T_\\infty)\n\\end{equation}\n\n";
  Paragraph(rng, out);
  out += "Table " + std::to_string(number) + ": Measured temperatures\n\n";
  out += "| Run | Current (A) | T_max (\xC2\xB0" "C) | Note |\n|-----|------------:|----------:|:----:|\n";
  const std::uint32_t rows = 4 + rng.Below(8);
  for (std::uint32_t r = 0; r < rows; ++r) {
    out += "| " + std::to_string(r + 1) + " | " + std::to_string(10 + rng.Below(90)) + " | " +
           std::to_string(20 + rng.Below(30)) + "." + std::to_string(rng.Below(10)) + " | " +
           (r % 3 == 0 ? "see Table 1 \\| $5 limit" : "ok") + " |\n";
  }
  out += "\n";
  Paragraph(rng, out);
  out += "```python\n# Table 9: not a caption, $x$ is not math | nor this\nfor run in runs:\n"
         "    print(f\"${run.cost} | {run.t_max}\")\n```\n\n";
  if (number % 5 == 0) {
    out += "### Glossary\n\n- Busbar: a conductor joining cells.\n- SoC - state of charge.\n\n"
           "Thermal runaway\n: an uncontrolled exothermic reaction.\n\n";
  }
}

std::string TechnicalReport() {
  Lcg rng;
  std::string out = "# Thermal Design Review\n\n";
  for (int number = 1; out.size() < kDocumentBytes; ++number) Section(rng, out, number);
  return out;
}

std::string PlainProse() {
  Lcg rng;
  std::string out;
  while (out.size() < kDocumentBytes) {
    const std::uint32_t sentences = 3 + rng.Below(4);
    for (std::uint32_t s = 0; s < sentences; ++s) {
      const std::uint32_t words = 8 + rng.Below(14);
      for (std::uint32_t w = 0; w < words; ++w) {
        if (w > 0) out += ' ';
        out += rng.Pick(kWords);
      }
      out += ". ";
    }
    out += "\n\n";
  }
  return out;
}

void Run(benchmark::State& state, const std::string& document) {
  std::size_t items = 0;
  for (auto _ : state) {
    auto result = AnalyzeMarkdown(document);
    items = result.size();
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * document.size()));
  state.counters["items"] = static_cast<double>(items);
  state.counters["MB/s"] = benchmark::Counter(static_cast<double>(state.iterations() * document.size()) / 1e6,
                                              benchmark::Counter::kIsRate);
}

void BM_AnalyzeMarkdown_TechnicalReport(benchmark::State& state) {
  static const std::string document = TechnicalReport();
  Run(state, document);
}

void BM_AnalyzeMarkdown_PlainProse(benchmark::State& state) {
  static const std::string document = PlainProse();
  Run(state, document);
}

BENCHMARK(BM_AnalyzeMarkdown_TechnicalReport)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AnalyzeMarkdown_PlainProse)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
