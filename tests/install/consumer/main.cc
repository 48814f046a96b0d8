#include <parkett/parkett.h>

#include <iostream>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  auto reader = parkett::FileReader::open(argv[1]);
  std::cout << reader.metadata().num_rows() << " rows, " << reader.metadata().num_columns()
            << " columns\n";
}
