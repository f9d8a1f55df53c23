// bench_seed_tickets DB TOTAL OPEN: creates a ticket database holding TOTAL
// tickets, OPEN of them open, for timing `operator-host tickets list`.
#include <cstdio>
#include <exception>
#include <string>

#include "ticket_seeding.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: bench_seed_tickets DB TOTAL OPEN\n");
    return 2;
  }
  try {
    opr::bench::seed_tickets(argv[1], std::stoul(argv[2]), std::stoul(argv[3]));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_seed_tickets: %s\n", e.what());
    return 1;
  }
  return 0;
}
